// The HDF5 C library (Debian: libhdf5-dev puts the serial build's headers under hdf5/serial and
// its library on the default path as libhdf5_serial; elsewhere hdf5.h is on the include path).
// Package.swift links it. HDF5's type and property-list constants are macros that call H5open(),
// and some functions are macros choosing an API version; Swift imports neither, so the few we
// use are wrapped here.
#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>
#else
#include <hdf5.h>
#endif
#include <stdio.h>
#include <string.h>

static inline hid_t glassbox_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t glassbox_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t glassbox_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t glassbox_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t glassbox_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t glassbox_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t glassbox_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t glassbox_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t glassbox_h5p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline unsigned glassbox_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }

/// Turns off libhdf5's printing of its error stack on this thread (the setting is per thread
/// in a thread-safe build): failures become our own messages.
static inline void glassbox_h5_quiet(void) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static herr_t glassbox_h5_innermost(unsigned n, const H5E_error2_t *e, void *data) {
    if (n == 0) {
        char minor[160] = "";
        H5Eget_msg(e->min_num, NULL, minor, sizeof minor);
        const char *desc = e->desc ? e->desc : "";
        snprintf((char *)data, 512, "%s%s%s", desc, (desc[0] && minor[0]) ? " — " : "", minor);
    }
    return 0;
}

/// The most specific entry of this thread's error stack ("description — minor message") into
/// `out` (512 bytes), then clears the stack.
static inline void glassbox_h5_error_text(char *out) {
    out[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, glassbox_h5_innermost, out);
    H5Eclear2(H5E_DEFAULT);
}

/// 1 when `name` (relative to `loc`) is a hard link, 0 when it is another kind (soft, external),
/// negative on failure.
static inline int glassbox_h5_is_hard_link(hid_t loc, const char *name) {
    H5L_info_t info;
    if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
    return info.type == H5L_TYPE_HARD ? 1 : 0;
}

/// The name of link `index` of group `loc`, in name order, into `out` (`size` bytes); its full
/// length, or negative on failure.
static inline ssize_t glassbox_h5_link_name(hid_t loc, hsize_t index, char *out, size_t size) {
    return H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, index, out, size, H5P_DEFAULT);
}

/// Frees the strings libhdf5 allocated for a variable-length read.
static inline herr_t glassbox_h5_reclaim(hid_t type, hid_t space, void *buffer) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buffer);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
#endif
}

/// The filter at `index` of a dataset creation property list: its id and name (`out`, 64 bytes).
static inline H5Z_filter_t glassbox_h5_filter(hid_t dcpl, unsigned index, char *out) {
    unsigned flags = 0, config = 0;
    size_t count = 0;
    out[0] = 0;
    return H5Pget_filter2(dcpl, index, &flags, &count, NULL, 64, out, &config);
}
