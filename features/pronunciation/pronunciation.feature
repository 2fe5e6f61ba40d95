Feature: A learner's reading is scored down to the sound
  The orchestrator sends a learner's recording of a sentence and the sentence itself; the engine says how
  well it was pronounced, which words were left out, and which sounds to work on.

  Scenario: A well-read sentence scores high
    Given the engine is running with its pronunciation model
    When a learner uploads a clear reading of "NO ONE WANTS TO TALK TO ME TONIGHT"
    Then the pronunciation score is at least 75
    And every word is reported as said correctly

  Scenario: A skipped word is reported as an omission
    Given the engine is running with its pronunciation model
    When a learner reads "NO ONE WANTS TO TALK TO ME TONIGHT" but skips "ME"
    Then "ME" is reported as an omission
    And completeness is below 100

  Scenario: A mispronounced word scores lower, and no sound is claimed heard that the engine cannot be sure of
    Given the engine is running with its pronunciation model
    When a learner reading "ITS TOO MANY DISH IN THE SEA TO BE JEALOUS" says "FISH" instead of "DISH"
    Then "DISH" scores lower than "FISH" does when "FISH" is the text
    And no sound is reported as heard as another sound

  Scenario: Without a reference text the recording is assessed against its own transcript
    Given the engine is running with its pronunciation model
    When a learner uploads a clear reading of "NO ONE WANTS TO TALK TO ME TONIGHT" without the text
    Then the assessment says it was unscripted
    And the reference it used is a transcript with most of the words of "NO ONE WANTS TO TALK TO ME TONIGHT"
