"""An issue form -> an entry: the forms, reading an issue, its report, the pull request it opens."""
