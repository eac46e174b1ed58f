"""Remote sources (TVmaze, news feeds); imported only by the commands that use them."""
