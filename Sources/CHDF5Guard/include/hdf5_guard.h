// A last line of defence around libhdf5 (see hdf5_guard.c).
#pragma once

/// Installs the fault handler (once per process) and an alternate signal stack (once per thread).
void glassbox_guard_install(void);
/// libhdf5 work on `place` ("FILE:/object") starts on this thread.
void glassbox_guard_enter(const char *place);
/// … and ends.
void glassbox_guard_leave(void);
