// libhdf5 1.10 does not check every structure of a damaged file: a corrupted global heap or
// B-tree can make it read out of bounds. What is read where is recorded per thread
// ("FILE:/object") while libhdf5 runs, and a memory fault in that time ends the process with
// status 2 and that place — as for any other unusable input — instead of a bare crash.
// Faults anywhere else go on to whatever handled them before (Swift's backtracer, the default).
// (The explorer installs its own handlers when it takes the screen, which restore the terminal;
// from then on those handle every fault.)
#include "hdf5_guard.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Thread_local char place_text[512];
static _Thread_local int depth = 0;
static _Thread_local int stack_ready = 0;
static int installed = 0;
static struct sigaction previous_segv, previous_bus;

static void write_all(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_fault(int sig, siginfo_t *info, void *context) {
    (void)info;
    (void)context;
    struct sigaction *previous = sig == SIGSEGV ? &previous_segv : &previous_bus;
    if (depth > 0) {
        write_all("glassbox: error: ");
        write_all(place_text);
        write_all(": libhdf5 read out of bounds in it (the file is damaged; libhdf5 does not check every "
                  "structure of a damaged file), expected an intact .h5ad file\n");
        _exit(2);
    }
    // Put the earlier handler back: the faulting instruction runs again and reaches it.
    sigaction(sig, previous, NULL);
}

void glassbox_guard_install(void) {
    if (!stack_ready) {
        stack_t current;
        if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {  // keep one set up by others
            stack_t alt;
            alt.ss_sp = malloc(65536);
            alt.ss_size = 65536;
            alt.ss_flags = 0;
            if (alt.ss_sp) sigaltstack(&alt, NULL);
        }
        stack_ready = 1;
    }
    // GLASSBOX_NO_HDF5_GUARD=1 leaves faults to the sanitizers and debuggers (Fuzz/README.md).
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_SEQ_CST) == 0 && !getenv("GLASSBOX_NO_HDF5_GUARD")) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_fault;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &previous_segv);
        sigaction(SIGBUS, &action, &previous_bus);
    }
}

void glassbox_guard_enter(const char *place) {
    strncpy(place_text, place, sizeof place_text - 1);
    place_text[sizeof place_text - 1] = 0;
    depth += 1;
}

void glassbox_guard_leave(void) {
    if (depth > 0) depth -= 1;
}
