"""Quality checks over each entry's English and across entries."""
