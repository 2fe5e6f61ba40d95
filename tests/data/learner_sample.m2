S Yesterday I eat rice with my sister .
A 2 3|||R:VERB:TENSE|||ate|||REQUIRED|||-NONE-|||0

S I am student at the university .
A 2 2|||M:DET|||a|||REQUIRED|||-NONE-|||0

S My grandmother grew up in a small village by the sea .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S He go to school every day and he like it .
A 1 2|||R:VERB:SVA|||goes|||REQUIRED|||-NONE-|||0
A 8 9|||R:VERB:SVA|||likes|||REQUIRED|||-NONE-|||0

S I need some informations about the trip .
A 3 4|||R:NOUN:INFL|||information|||REQUIRED|||-NONE-|||0

S We visited the museum on Sunday .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0
