import { graphql } from "../gql";

export const ResourceDetailQuery = graphql(`
  query ResourceDetail($id: ID!) {
    resource(id: $id) {
      id
      name
      description
      kind
      status
      version
      withheldFields
      schedule
      internalNotes
      eligibility {
        minAge
        maxAge
        maxIncomePercent
        householdTypes
        disabilityRequired
        notes
      }
      capacity {
        total
        available
      }
      contact {
        phone
        email
        person
      }
      address {
        text
      }
      provider {
        id
        name
      }
      needs {
        code
        labelKo
        labelEn
      }
      servedRegions {
        code
        name
        nameEn
      }
    }
  }
`);

export const MyResourcesQuery = graphql(`
  query MyResources($institution: ID!, $after: String) {
    institution(id: $institution) {
      id
      name
      resources(first: 20, after: $after) {
        totalCount
        edges {
          node {
            id
            name
            kind
            status
            version
            visibility {
              listing
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const EditableResourceQuery = graphql(`
  query EditableResource($id: ID!) {
    resource(id: $id) {
      id
      name
      kind
      status
      version
      description
      schedule
      internalNotes
      provider {
        id
      }
      eligibility {
        minAge
        maxAge
      }
      capacity {
        total
        available
      }
      contact {
        phone
      }
      address {
        text
      }
      needs {
        code
      }
      servedRegions {
        code
      }
      visibility {
        listing
        fields {
          field
          audience
        }
        partners
      }
    }
  }
`);

export const PartnerChoicesQuery = graphql(`
  query PartnerChoices {
    institutions(first: 100) {
      edges {
        node {
          id
          name
          kind
        }
      }
    }
  }
`);

export const VisibilityPreviewQuery = graphql(`
  query VisibilityPreview($id: ID!, $viewer: Audience!) {
    resourceVisibilityPreview(resourceId: $id, viewer: $viewer) {
      viewer
      listed
      shownFields
      withheldFields
    }
  }
`);

export const RegisterResourceMutation = graphql(`
  mutation RegisterResource($input: RegisterResourceInput!) {
    registerResource(input: $input) {
      id
      version
    }
  }
`);

export const UpdateResourceMutation = graphql(`
  mutation UpdateResource($id: ID!, $expectedVersion: Int!, $input: UpdateResourceInput!) {
    updateResource(id: $id, expectedVersion: $expectedVersion, input: $input) {
      id
      version
    }
  }
`);

export const SetResourceStatusMutation = graphql(`
  mutation SetResourceStatus($id: ID!, $status: ResourceStatus!, $expectedVersion: Int!) {
    setResourceStatus(id: $id, status: $status, expectedVersion: $expectedVersion) {
      id
      status
      version
    }
  }
`);

export const SetResourceVisibilityMutation = graphql(`
  mutation SetResourceVisibility(
    $id: ID!
    $expectedVersion: Int!
    $listing: Audience
    $fields: [FieldAudienceInput!]
    $partners: [ID!]
  ) {
    setResourceVisibility(
      resourceId: $id
      expectedVersion: $expectedVersion
      listing: $listing
      fields: $fields
      partners: $partners
    ) {
      id
      version
      withheldFields
    }
  }
`);
