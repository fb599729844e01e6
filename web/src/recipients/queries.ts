import { graphql } from "../gql";

export const RecipientListQuery = graphql(`
  query RecipientList($after: String) {
    recipients(first: 20, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          age
          homeRegion {
            name
          }
          withheldCategories
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const Recipient360Query = graphql(`
  query Recipient360($id: ID!) {
    recipient(id: $id) {
      id
      name
      age
      sex
      incomePercent
      disability
      readableCategories
      withheldCategories
      household {
        size
        type
      }
      homeRegion {
        name
        nameEn
      }
      registeredBy {
        name
      }
      needs {
        code
        severity
        need {
          labelKo
          labelEn
        }
      }
      enrollments {
        id
        status
        start
        end
        resource {
          id
          name
          provider {
            name
          }
        }
      }
      cases {
        id
        programme
        status
        openedAt
        lead {
          name
        }
        participants {
          name
        }
        notes {
          id
          text
          createdAt
        }
      }
      referrals {
        id
        status
        createdAt
        toInstitution {
          name
        }
        fromInstitution {
          name
        }
      }
      consents {
        id
        scope
        validUntil
        status
      }
    }
  }
`);
