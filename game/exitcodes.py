"""The exit codes of every ``crossroads`` command, in one place.

0 success; 1 the input (story, records, saves) has errors; 2 the command could not run (bad arguments, missing
files, a port in use); 130 interrupted with Ctrl+C.
"""

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
