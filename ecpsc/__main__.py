"""`python -m ecpsc`: the `ecpsc` command, for child processes started with this interpreter."""

from ecpsc.cli import main

main()
