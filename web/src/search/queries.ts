import { graphql } from "../gql";

export const SearchOptionsQuery = graphql(`
  query SearchOptions {
    needs {
      code
      labelKo
      labelEn
      children {
        code
        labelKo
        labelEn
        children {
          code
          labelKo
          labelEn
        }
      }
    }
    regions {
      code
      name
      nameEn
      children {
        code
        name
        nameEn
        children {
          code
          name
          nameEn
        }
      }
    }
  }
`);

export const SearchResourcesQuery = graphql(`
  # The page size is written here, not passed: the API's cost limit counts a literal first.
  query SearchResources(
    $needs: [String!]
    $text: String
    $near: NearInput
    $regions: [String!]
    $person: PersonInput
    $hasCapacity: Boolean
    $kinds: [ResourceKind!]
    $sectors: [Sector!]
    $after: String
  ) {
    searchResources(
      input: {
        needs: $needs
        text: $text
        near: $near
        regions: $regions
        person: $person
        hasCapacity: $hasCapacity
        kinds: $kinds
        sectors: $sectors
        first: 10
        after: $after
      }
    ) {
      totalCount
      hits {
        cursor
        distanceKm
        eligibility
        missingFacts
        matchedNeeds {
          code
          labelKo
          labelEn
        }
        highlights {
          field
          fragments
        }
        reasons {
          code
          message
        }
        resource {
          id
          name
          kind
          status
          withheldFields
          provider {
            id
            name
          }
          contact {
            phone
          }
          capacity {
            total
            available
          }
          servedRegions {
            code
            name
          }
        }
      }
      facets {
        needs {
          code
          label
          count
        }
        kinds {
          value
          count
        }
        sectors {
          value
          count
        }
        regions {
          code
          name
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
