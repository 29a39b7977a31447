"""The Argos engine: an installed Argos Translate package run through CTranslate2, the packages themselves, and where CTranslate2 runs."""
