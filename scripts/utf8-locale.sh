# Sourced by the nnlab launcher before it starts Java.
# Java decodes the command line and encodes file names in the locale's character set
# (sun.jnu.encoding, which -D cannot override): under LANG=C or LC_ALL=C that is ASCII, so
# `--out runs/é-ü` arrives as runs/??-?? and no folder can be made. Terminals send UTF-8 whatever
# the locale says, so under an ASCII locale Java runs in C.UTF-8 (built into current C libraries).
# A locale with another 8-bit character set (ISO-8859-1) is left alone: its bytes are what its
# terminal sends, and Java reads them right. Where C.UTF-8 is missing, nnlab says to use a UTF-8
# locale when a name cannot be spelt.
nnlab_charmap=$(locale charmap 2>/dev/null || true)
if [ -z "$nnlab_charmap" ]; then
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-C}}}" in C | POSIX) nnlab_charmap=ANSI_X3.4-1968 ;; esac
fi
if [ "$nnlab_charmap" = "ANSI_X3.4-1968" ]; then
  export LC_ALL=C.UTF-8
fi
unset nnlab_charmap
