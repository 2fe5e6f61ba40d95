Feature: A whole session's utterances in one batch
  After a speaking session the orchestrator sends all of the learner's utterances in one call. Each one is
  analysed, one that cannot be analysed keeps its reason without spoiling the others, and a summary of the
  session comes with the results.

  Scenario: One unusable utterance does not spoil the rest of the batch
    Given the engine is running with its text analysis
    When the orchestrator sends a session's utterances in one batch:
      | utterance                             |
      | Yesterday I eat rice with my friends. |
      |                                       |
      | I am agree with you.                  |
    Then the engine answers at once with a batch job
    And later utterances 1 and 3 have their analyses with the errors found
    And utterance 2 failed with the reason "empty_text"
    And the summary counts 2 succeeded and 1 failed
