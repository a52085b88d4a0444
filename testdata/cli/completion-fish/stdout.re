# dapilint fish shell completion
(.*\n)?complete -r -c dapilint -n '__fish_dapilint_no_subcommand' -a 'lint' -d 'lint manifests[^\n]*'
(.*\n)?complete -c dapilint -n '__fish_seen_subcommand_from lint' -f -l format -s f -r -d 'FORMAT of standard output: [^`\n]*'
(.*\n)?complete -r -c dapilint -n '__fish_dapilint_no_subcommand' -a 'completion' -d 'print the shell completion script for bash, zsh or fish'
.*
