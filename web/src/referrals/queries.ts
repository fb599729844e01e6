import { graphql } from "../gql";

export const ReferralFields = graphql(`
  fragment ReferralFields on Referral {
    id
    status
    version
    urgent
    outcome
    reason
    createdAt
    message
    sharedCategories
    fromInstitution {
      id
      name
    }
    toInstitution {
      id
      name
    }
    resource {
      id
      name
    }
    needs {
      code
      labelKo
      labelEn
    }
    history {
      status
      at
      reason
    }
  }
`);

export const ReferralRecipientsQuery = graphql(`
  query ReferralRecipients {
    recipients(first: 50) {
      edges {
        node {
          id
          name
          age
        }
      }
    }
  }
`);

export const RecipientConsentsQuery = graphql(`
  query RecipientConsents($id: ID!) {
    recipient(id: $id) {
      id
      consents {
        id
        scope
        institutionIds
        institutionKinds
        validUntil
        status
      }
    }
  }
`);

export const CreateReferralMutation = graphql(`
  mutation CreateReferral($input: CreateReferralInput!) {
    createReferral(input: $input) {
      id
      status
      version
    }
  }
`);

export const ReferralsSentQuery = graphql(`
  query ReferralsSent($after: String) {
    referralsSent(first: 20, after: $after) {
      totalCount
      edges {
        node {
          ...ReferralFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ReferralsInboxQuery = graphql(`
  query ReferralsInbox($after: String) {
    referralsInbox(first: 20, after: $after) {
      totalCount
      edges {
        node {
          ...ReferralFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ReferralEventsSubscription = graphql(`
  subscription ReferralEvents {
    referralEvents {
      kind
      status
      referral {
        ...ReferralFields
      }
    }
  }
`);

export const AcceptReferralMutation = graphql(`
  mutation AcceptReferral($id: ID!, $expectedVersion: Int!) {
    acceptReferral(id: $id, expectedVersion: $expectedVersion) {
      ...ReferralFields
    }
  }
`);

export const DeclineReferralMutation = graphql(`
  mutation DeclineReferral($id: ID!, $expectedVersion: Int!, $reason: ReferralReason!) {
    declineReferral(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
      ...ReferralFields
    }
  }
`);

export const StartReferralMutation = graphql(`
  mutation StartReferral($id: ID!, $expectedVersion: Int!) {
    startReferral(id: $id, expectedVersion: $expectedVersion) {
      ...ReferralFields
    }
  }
`);

export const CompleteReferralMutation = graphql(`
  mutation CompleteReferral($id: ID!, $expectedVersion: Int!, $outcome: ReferralOutcome!, $reason: ReferralReason) {
    completeReferral(id: $id, expectedVersion: $expectedVersion, outcome: $outcome, reason: $reason) {
      ...ReferralFields
    }
  }
`);
