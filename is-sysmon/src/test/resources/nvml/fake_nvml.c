/*
 * A deterministic stand-in for libnvidia-ml.so.1, built by the NVML tests with
 *   gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml.c [-DNO_V3] [-DNO_V2] [-DNO_INIT_V2] [-DINIT_FAILS]
 * It exports the NVML entry points inferscope binds, with the signatures, return codes and struct
 * layouts of nvml.h (NVML API 13), and a few fake_* symbols the tests use to steer and observe it.
 *
 * Two devices:
 *   0: every figure present; 3 compute processes, one of them with NVML_VALUE_NOT_AVAILABLE memory;
 *      process utilization samples the test can add to.
 *   1: 70 compute processes (more than the binding's first buffer of 64, so it must grow on
 *      NVML_ERROR_INSUFFICIENT_SIZE); energy and process utilization NOT_SUPPORTED; temperature
 *      fails with NVML_ERROR_UNKNOWN.
 */
#include <stddef.h>
#include <string.h>

typedef int nvmlReturn_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_UNKNOWN 999

#define NVML_VALUE_NOT_AVAILABLE 0xFFFFFFFFFFFFFFFFULL
#define NO_INSTANCE 0xFFFFFFFFu

/* Layouts as declared in nvml.h. */
typedef struct {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;

typedef struct {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
} nvmlProcessInfo_v1_t;

typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlProcessInfo_v2_t;

typedef struct {
  unsigned int pid;
  unsigned long long timeStamp;
  unsigned int smUtil;
  unsigned int memUtil;
  unsigned int encUtil;
  unsigned int decUtil;
} nvmlProcessUtilizationSample_t;

/* What the C compiler makes of those layouts, for the Java side to compare with its own. */
const unsigned long long fake_layout[] = {
    sizeof(nvmlUtilization_t),
    offsetof(nvmlUtilization_t, memory),
    sizeof(nvmlMemory_t),
    offsetof(nvmlMemory_t, free),
    offsetof(nvmlMemory_t, used),
    sizeof(nvmlProcessInfo_v1_t),
    offsetof(nvmlProcessInfo_v1_t, usedGpuMemory),
    sizeof(nvmlProcessInfo_v2_t),
    offsetof(nvmlProcessInfo_v2_t, usedGpuMemory),
    offsetof(nvmlProcessInfo_v2_t, gpuInstanceId),
    offsetof(nvmlProcessInfo_v2_t, computeInstanceId),
    sizeof(nvmlProcessUtilizationSample_t),
    offsetof(nvmlProcessUtilizationSample_t, timeStamp),
    offsetof(nvmlProcessUtilizationSample_t, smUtil),
    offsetof(nvmlProcessUtilizationSample_t, memUtil),
    offsetof(nvmlProcessUtilizationSample_t, encUtil),
    offsetof(nvmlProcessUtilizationSample_t, decUtil),
};

#define DEVICES 2
#define MANY_PROCS 70
#define MAX_UTIL 256

struct fake_device {
  int index;
};
typedef struct fake_device *nvmlDevice_t;

static struct fake_device devices[DEVICES] = {{0}, {1}};
static int initialized;

/* Steering and observation, reset by fake_reset(). */
unsigned long long fake_energy_mj[DEVICES];
unsigned long long fake_last_seen[DEVICES];
int fake_compute_calls[DEVICES];
int fake_compute_version;
int fake_init_version;
int fake_init_calls;
int fake_shutdown_calls;

static nvmlProcessUtilizationSample_t util[MAX_UTIL];
static unsigned int util_dev[MAX_UTIL];
static int util_count;

void fake_push_util(unsigned int dev, unsigned int pid, unsigned long long ts, unsigned int sm,
                    unsigned int mem) {
  if (util_count == MAX_UTIL) return;
  nvmlProcessUtilizationSample_t s = {pid, ts, sm, mem, 7, 9};
  util[util_count] = s;
  util_dev[util_count] = dev;
  util_count++;
}

void fake_reset(void) {
  fake_energy_mj[0] = 5000000000123ULL;
  fake_energy_mj[1] = 0;
  memset(fake_last_seen, 0, sizeof fake_last_seen);
  memset(fake_compute_calls, 0, sizeof fake_compute_calls);
  fake_compute_version = 0;
  fake_init_version = 0;
  fake_init_calls = 0;
  fake_shutdown_calls = 0;
  util_count = 0;
  /* Samples the driver already holds when the sampler opens. */
  fake_push_util(0, 4242, 1000, 11, 3);
  fake_push_util(0, 4242, 2000, 12, 4);
}

__attribute__((constructor)) static void fake_load(void) { fake_reset(); }

static int device_of(nvmlDevice_t device) {
  if (!initialized) return -NVML_ERROR_UNINITIALIZED;
  if (device != &devices[0] && device != &devices[1]) return -NVML_ERROR_INVALID_ARGUMENT;
  return device->index;
}

#define DEVICE_OR_RETURN(d, device)      \
  int d = device_of(device);             \
  if (d < 0) return -d

static nvmlReturn_t init(int version) {
  fake_init_calls++;
  fake_init_version = version;
#ifdef INIT_FAILS
  return NVML_ERROR_DRIVER_NOT_LOADED;
#else
  initialized = 1;
  return NVML_SUCCESS;
#endif
}

#ifndef NO_INIT_V2
nvmlReturn_t nvmlInit_v2(void) { return init(2); }
#endif
nvmlReturn_t nvmlInit(void) { return init(1); }

nvmlReturn_t nvmlShutdown(void) {
  fake_shutdown_calls++;
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  initialized = 0;
  return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  *count = DEVICES;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  if (!initialized) return NVML_ERROR_UNINITIALIZED;
  if (index >= DEVICES) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &devices[index];
  return NVML_SUCCESS;
}

static nvmlReturn_t copy_string(const char *s, char *out, unsigned int length) {
  if (strlen(s) + 1 > length) return NVML_ERROR_INSUFFICIENT_SIZE;
  strcpy(out, s);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length) {
  DEVICE_OR_RETURN(d, device);
  return copy_string(d == 0 ? "NVIDIA Fake H100 80GB HBM3" : "NVIDIA Fake L4", name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length) {
  DEVICE_OR_RETURN(d, device);
  return copy_string(d == 0 ? "GPU-00000000-1111-2222-3333-444444444444"
                            : "GPU-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
                     uuid, length);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *u) {
  DEVICE_OR_RETURN(d, device);
  u->gpu = d == 0 ? 87 : 3;
  u->memory = d == 0 ? 41 : 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *m) {
  DEVICE_OR_RETURN(d, device);
  m->total = 85899345920ULL; /* 80 GiB */
  m->used = d == 0 ? 17179869189ULL : 4294967297ULL; /* 16 GiB + 5, 4 GiB + 1 */
  m->free = m->total - m->used;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *mw) {
  DEVICE_OR_RETURN(d, device);
  *mw = d == 0 ? 312345 : 65432;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *mw) {
  DEVICE_OR_RETURN(d, device);
  *mw = d == 0 ? 700000 : 72000;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int *celsius) {
  DEVICE_OR_RETURN(d, device);
  if (sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
  if (d == 1) return NVML_ERROR_UNKNOWN;
  *celsius = 54;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, unsigned int *mhz) {
  DEVICE_OR_RETURN(d, device);
  switch (type) {
    case 1: *mhz = d == 0 ? 1980 : 345; return NVML_SUCCESS;   /* NVML_CLOCK_SM */
    case 2: *mhz = d == 0 ? 2619 : 6251; return NVML_SUCCESS;  /* NVML_CLOCK_MEM */
    default: return NVML_ERROR_INVALID_ARGUMENT;
  }
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *mj) {
  DEVICE_OR_RETURN(d, device);
  if (d == 1) return NVML_ERROR_NOT_SUPPORTED;
  *mj = fake_energy_mj[d];
  return NVML_SUCCESS;
}

/* The i-th compute process of a device, in the v2 layout. */
static nvmlProcessInfo_v2_t process(int d, unsigned int i) {
  nvmlProcessInfo_v2_t p;
  if (d == 0) {
    static const nvmlProcessInfo_v2_t zero[3] = {
        {4242, 17179869307ULL, NO_INSTANCE, NO_INSTANCE}, /* 16 GiB + 123 */
        {4243, NVML_VALUE_NOT_AVAILABLE, NO_INSTANCE, NO_INSTANCE},
        {9999, 1073741824ULL, 1, 2},
    };
    return zero[i];
  }
  p.pid = 5000 + i;
  p.usedGpuMemory = (1ULL << 33) + (i + 1) * 1048576ULL;
  p.gpuInstanceId = i;
  p.computeInstanceId = 100 + i;
  return p;
}

static nvmlReturn_t compute_processes(nvmlDevice_t device, unsigned int *count, void *infos,
                                      int version) {
  DEVICE_OR_RETURN(d, device);
  fake_compute_calls[d]++;
  fake_compute_version = version;
  unsigned int n = d == 0 ? 3 : MANY_PROCS;
  if (*count < n || infos == NULL) {
    *count = n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  for (unsigned int i = 0; i < n; i++) {
    nvmlProcessInfo_v2_t p = process(d, i);
    if (version == 1) {
      nvmlProcessInfo_v1_t q = {p.pid, p.usedGpuMemory};
      ((nvmlProcessInfo_v1_t *)infos)[i] = q;
    } else {
      ((nvmlProcessInfo_v2_t *)infos)[i] = p;
    }
  }
  *count = n;
  return NVML_SUCCESS;
}

#ifndef NO_V3
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *count,
                                                     nvmlProcessInfo_v2_t *infos) {
  return compute_processes(device, count, infos, 3);
}
#endif

#ifndef NO_V2
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t device, unsigned int *count,
                                                     nvmlProcessInfo_v2_t *infos) {
  return compute_processes(device, count, infos, 2);
}
#endif

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t device, unsigned int *count,
                                                  nvmlProcessInfo_v1_t *infos) {
  return compute_processes(device, count, infos, 1);
}

nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device,
                                             nvmlProcessUtilizationSample_t *utilization,
                                             unsigned int *count,
                                             unsigned long long lastSeenTimeStamp) {
  DEVICE_OR_RETURN(d, device);
  if (d == 1) return NVML_ERROR_NOT_SUPPORTED;
  fake_last_seen[d] = lastSeenTimeStamp;
  unsigned int n = 0;
  for (int i = 0; i < util_count; i++) {
    if (util_dev[i] == (unsigned int)d && util[i].timeStamp > lastSeenTimeStamp) n++;
  }
  if (n == 0) return NVML_ERROR_NOT_FOUND;
  if (utilization == NULL || *count < n) {
    *count = n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (int i = 0; i < util_count; i++) {
    if (util_dev[i] == (unsigned int)d && util[i].timeStamp > lastSeenTimeStamp) {
      utilization[k++] = util[i];
    }
  }
  *count = n;
  return NVML_SUCCESS;
}
