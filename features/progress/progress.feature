Feature: A learner's progress across sessions
  Dashboards show how a learner's errors and level change from session to session.

  Scenario: Article errors that fall over five sessions show as improving
    Given a learner whose article errors per session were 8, 6, 4, 3 and 1
    When the dashboard asks for the learner's progress
    Then the article pattern is "IMPROVING"
    And the progress counts 5 sessions

  Scenario: A learner with one session gets a report without a trend
    Given a learner whose article errors per session were 3
    When the dashboard asks for the report of the learner's first session
    Then the report has no improvement rate
    And the article pattern has no trend
