// Wide-character curses (Debian: libncursesw5-dev). wchar.h/locale.h first so that
// ncurses declares its wide-character API (add_wch, setcchar, ...).
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>  // setupterm, tigetstr: what a terminal can do, before taking it over
