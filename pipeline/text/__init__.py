"""Reading an article's text: its encoding, its segments, its two scripts, its figures and formulas, and the dictionaries (jieba, CC-CEDICT) they share."""
