// libedit (Debian libedit-dev): line editing and history for the REPL.
#include <stdio.h>
#include <histedit.h>
