Feature: Learners see their errors corrected and explained
  A learner sends a text from a lesson; the engine finds the errors a learner typically makes,
  says what kind of error each one is, how to correct it and why, and leaves good English alone.

  Background:
    Given the engine is running with its offline analysis

  Scenario Outline: A typical learner error is found, named and corrected
    When a learner sends the text "<text>"
    Then the answer has exactly one error, of type <type>
    And the error corrects "<wrong>" to "<correction>"
    And the error explains itself in plain words

    Examples:
      | text                                  | type           | wrong         | correction        |
      | I am student.                         | ARTICLE        | student       | a student         |
      | I like apple.                         | ARTICLE        | apple         | an apple          |
      | Yesterday I eat rice.                 | TENSE          | eat           | ate               |
      | He go to school every day.            | AGREEMENT      | go            | goes              |
      | I didn't went to the party.           | GRAMMAR        | went          | go                |
      | I need some informations.             | GRAMMAR        | informations  | information       |
      | She is married with a doctor.         | PREPOSITION    | with          | to                |
      | Can you explain me the rules?         | PREPOSITION    | me            | to me             |
      | I am agree with you.                  | GRAMMAR        | am agree      | agree             |
      | I like very much football.            | WORD_ORDER     | very much football | football very much |
      | My house is more big than yours.      | GRAMMAR        | more big      | bigger            |
      | My freind lives in a small town.      | SPELLING       | freind        | friend            |
      | We speak english at home.             | CAPITALISATION | english       | English           |

  Scenario: A missing article before an object is offered as a hint, not a correction
    When a learner sends the text "I like apple."
    Then the error is a hint with a confidence below one half

  Scenario: A clean paragraph by a native speaker gets no errors
    When a learner sends the text "My grandmother grew up in a small village by the sea. Every morning she walked to the harbour to buy fish for the family, and in the evenings she read novels by the fire. She has always said that those years taught her patience."
    Then the answer has no errors
    And the feedback says that no clear errors were found

  Scenario: An empty text is refused with a reason
    When a learner sends the text " "
    Then the answer is an invalid input with the code "empty_text"
