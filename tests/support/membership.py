"""GraphQL documents of the membership tests that other tests use too."""

from __future__ import annotations

ENROLL = """mutation($input: RecordEnrollmentInput!) { recordEnrollment(input: $input) { id } }"""

UNMET = """query($region: String!) { unmetNeeds(region: $region) {
  counts { regionCode need { code } recipients }
  rows { recipientId regionCode unmetNeeds { code } }
  pageInfo { hasNextPage } } }"""
