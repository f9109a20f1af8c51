/*
 * LD_PRELOAD shim for the suspend test: subtracts a shift from every monotonic clock reading of
 * the process, so that after the test raises the shift while the process is stopped (SIGSTOP),
 * the process sees its monotonic clocks stand still across the pause, as they do across a system
 * suspend, a VM pause or a checkpoint/restore. The wall clock (CLOCK_REALTIME) is left alone.
 *
 * The shift, in nanoseconds, is the first 8 bytes (host order) of the file named by
 * $MONOTONIC_SHIFT_FILE, mapped shared: the test writes it in place, never truncating, and only
 * while the process is stopped, so the process never sees its monotonic clocks go back.
 * Without the variable (or the file) the shim changes nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static const volatile int64_t *shift_ns;

__attribute__((constructor)) static void load_shift(void)
{
    real_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    const char *path = getenv("MONOTONIC_SHIFT_FILE");
    if (path == NULL) {
        return;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return;
    }
    void *mapped = mmap(NULL, sizeof(int64_t), PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (mapped != MAP_FAILED) {
        shift_ns = (const volatile int64_t *)mapped;
    }
}

static int is_monotonic(clockid_t id)
{
    return id == CLOCK_MONOTONIC || id == CLOCK_MONOTONIC_RAW || id == CLOCK_MONOTONIC_COARSE;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    int result = real_clock_gettime(id, ts);
    if (result == 0 && shift_ns != NULL && is_monotonic(id)) {
        int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec - *shift_ns;
        ts->tv_sec = ns / 1000000000LL;
        ts->tv_nsec = ns % 1000000000LL;
    }
    return result;
}
