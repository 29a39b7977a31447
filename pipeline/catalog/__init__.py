"""The gettext PO catalog: its grammar, reading and writing it, the notes zhen keeps in it, merging drafts into it, and counting its entries."""
