Feature: Transcription of a learner's recording
  Learners record themselves speaking English. The platform needs to know what they said and
  when they said each word, so that fluency and pronunciation can be scored.

  Scenario: A learner's recording is transcribed with a timed word list
    Given a learner's recording of the sentence "Are you going to have another drink?"
    When the recording is transcribed
    Then the transcript reads close to "Are you going to have another drink?"
    And every word has a start and an end time within the recording
    And the speech rate is reported in words per minute

  Scenario: A silent recording yields no words
    Given a recording of silence
    When the recording is transcribed
    Then the transcript has no words
    And the transcript text is empty

  Scenario: An oversized file is refused with a clear reason
    Given the largest accepted recording is 0.01 MB
    And a learner's recording of the sentence "Are you going to have another drink?"
    When the recording is transcribed
    Then the recording is refused because it is "too_large"
    And the reason names the limit "0.01 MB"
