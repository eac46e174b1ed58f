"""Remote sources (TVmaze, Wikidata, Open Library, news feeds); imported only by their commands."""
