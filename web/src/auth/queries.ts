import { graphql } from "../gql";

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      anonymous
      subject
      roles
      institution {
        id
        name
        kind
        lat
        lon
        region {
          code
          name
        }
      }
    }
  }
`);
