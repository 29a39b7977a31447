"""An article folder's files. Their names live here and nowhere else in the package
(tests/test_layout.py holds that):

    translations/<slug>/source.zh.txt   the article as received (any source*.txt, any encoding)
    translations/<slug>/en.po           the review catalog (Poedit may add en.mo)
    translations/<slug>/en.po~          the catalog as it was before a run replaced it
    translations/<slug>/en.txt          the English text
    translations/<slug>/en.html         the side-by-side bilingual page
    translations/<slug>/.zhen.state     what the last run read and wrote (the up-to-date check)
    translations/<slug>/.zhen.lock      held while a run writes the folder
"""

SOURCE_GLOB = "source*.txt"
SOURCE = "source.zh.txt"  # the name to give a new article's source
CATALOG = "en.po"
TEXT = "en.txt"
HTML = "en.html"
STATE = ".zhen.state"
LOCK = ".zhen.lock"
BACKUP = "~"  # appended to a file's name for the copy kept when it is replaced

# Everything a run writes into an article folder.
OUTPUTS = (CATALOG, CATALOG + BACKUP, TEXT, HTML, STATE, LOCK)
