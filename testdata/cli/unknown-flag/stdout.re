Incorrect Usage: flag provided but not defined: -bogus\n\nNAME:\n   dapilint lint - .*USAGE:\n   dapilint lint \[command options\] \[PATH\.\.\.\]\n.*OPTIONS:\n.*   --fail-level .*
