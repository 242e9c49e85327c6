"""Speaker resolution: who a source span stands for, ranked on the server for the labeling
page, the API and the suggestions alike (candidates), from the project's speakers (index),
what annotations taught (evidence) and who speaks around it in the article (context)."""
