"""The dictionary engine: word-by-word glosses from CC-CEDICT and jieba, with datelines, dates and figures written as a news desk writes them."""
