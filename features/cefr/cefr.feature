Feature: CEFR level of a learner's text
  Learners and teachers see the CEFR level of a piece of writing or speech, how sure the engine is,
  and what to work on to reach the next level.

  Scenario: A beginner's text is A1 and says what to learn next
    Given a learner wrote "I am student. I like apple."
    When the text is assessed
    Then the level is A1
    And the score is at most 30
    And the learner is told the estimate is rough because the text is short
    And the learner is told what to learn to reach A2

  Scenario: An advanced essay is C1 or above
    Given a learner wrote an advanced essay
    When the text is assessed
    Then the level is C1 or above
    And the strengths quote the learner's own words

  Scenario: An empty text is refused
    Given a learner wrote nothing
    When the text is assessed
    Then the request is refused because the text is empty
