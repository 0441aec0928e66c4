/*
 * kvm-runner: run many flat x86-64 guest images under real KVM, one after
 * another, in one process, and print the register state each one stops in.
 *
 * It is the real-CPU half of the differential test (tests/cpu/): the same
 * image runs on our emulated vCPU and here, and the two states must agree.
 * The guest machine is the one of DESIGN.md §5: RAM at guest physical 0
 * (2 MiB by default), long mode at CPL 0, flat segments, identity-mapped,
 * all GPRs 0 except RSP = 0x80000 and RDI = 0 (vCPU index), RFLAGS = 0x2.
 *
 * Build: gcc -O2 -o kvm-runner kvm-runner.c   (libc + <linux/kvm.h> only)
 *
 * Protocol (see README.md): one record per stdin line,
 *     <origin-hex> <entry-hex> <max-exits-dec> <bytes-hex>
 * and one result line per record on stdout,
 *     <rax> <rcx> <rdx> <rbx> <rsp> <rbp> <rsi> <rdi> <r8> ... <r15>
 *     <rip> <rflags> <exits> <stop description...>
 * (18 hex numbers of 16 digits, a decimal exit count, then the stop text).
 *
 * Options: --timeout-ms N (per image, default 2000), --ram-mib N (default 2),
 * --trap-exceptions (diagnostics: instead of IDT limit 0, i.e. any exception
 * -> triple fault -> `shutdown`, install an IDT at 0x4000 whose handlers stop
 * with `exception vector=N error=0x… ` and report the faulting RIP, RFLAGS and
 * RSP from the exception frame; the guest then also sees that IDT and the
 * handler stubs at 0x5000), --user (run the image at CPL 3 with user
 * segments; implies --trap-exceptions; the final HLT faults with #GP(0) and
 * is reported as `hlt` with RIP = HLT + 1, as a HLT exit would be: see
 * README.md for why), --check (create a VM, print `ok`, exit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

/* Guest-physical layout of the machine state the runner builds. */
#define GDT_ADDR 0x500u  /* null, code64 (0x08), data (0x10), TSS (0x18, 16 bytes) */
#define TSS_ADDR 0x700u  /* 0x68-byte 64-bit TSS, all zero */
#define PML4_ADDR 0x1000u
#define PDPT_ADDR 0x2000u
#define PD_ADDR 0x3000u  /* 512 x 2 MiB pages: identity map of the first 1 GiB */
#define INITIAL_RSP 0x80000u
/* --trap-exceptions only: a real IDT whose vector v jumps to a HLT at STUB_ADDR + 4v. */
#define IDT_ADDR 0x4000u  /* 256 x 16-byte 64-bit interrupt gates */
#define STUB_ADDR 0x5000u /* 256 x 4 bytes: f4 (hlt), then padding */

#define KSTACK_TOP 0x9000u /* TSS.RSP0: where exceptions from CPL 3 push their frame */

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18
#define SEL_UCODE 0x2b /* GDT entry 5, RPL 3 */
#define SEL_UDATA 0x33 /* GDT entry 6, RPL 3 */

/* CR0: PE | MP | ET | NE | WP | PG. CR4: PAE. EFER: LME | LMA. */
#define CR0_VALUE 0x80010033ull
#define CR4_VALUE 0x20ull
#define EFER_VALUE 0x500ull

/* Page-table entry bits. */
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PS 0x80ull

struct machine {
  int kvm;
  int vm;
  int vcpu;
  struct kvm_run *run;
  size_t run_size;
  uint8_t *ram;
  size_t ram_size;
  struct kvm_cpuid2 *cpuid;
};

static int trap_exceptions;
static int user_mode;
static volatile sig_atomic_t timed_out;
static struct kvm_run *volatile current_run;

static void on_alarm(int sig) {
  (void)sig;
  timed_out = 1;
  /* Closes the race where the signal lands just before KVM_RUN. */
  if (current_run) current_run->immediate_exit = 1;
}

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "kvm-runner: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

static struct kvm_cpuid2 *supported_cpuid(int kvm) {
  for (int n = 64; n <= 4096; n *= 2) {
    struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + (size_t)n * sizeof(struct kvm_cpuid_entry2));
    if (!c) die("out of memory");
    c->nent = (uint32_t)n;
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0) return c;
    int e = errno;
    free(c);
    if (e != E2BIG) die("KVM_GET_SUPPORTED_CPUID: %s", strerror(e));
  }
  die("KVM_GET_SUPPORTED_CPUID: too many entries");
  return NULL;
}

/* Create (or re-create, after a shutdown or failed entry) the VM and vCPU 0. */
static void machine_create(struct machine *m) {
  m->vm = ioctl(m->kvm, KVM_CREATE_VM, 0);
  if (m->vm < 0) die("KVM_CREATE_VM: %s", strerror(errno));
  /* Only needed on Intel for real mode, harmless elsewhere. */
  ioctl(m->vm, KVM_SET_TSS_ADDR, 0xfffbd000ul);
  struct kvm_userspace_memory_region region = {
      .slot = 0,
      .flags = 0,
      .guest_phys_addr = 0,
      .memory_size = m->ram_size,
      .userspace_addr = (uint64_t)(uintptr_t)m->ram,
  };
  if (ioctl(m->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
    die("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
  m->vcpu = ioctl(m->vm, KVM_CREATE_VCPU, 0);
  if (m->vcpu < 0) die("KVM_CREATE_VCPU: %s", strerror(errno));
  m->run = mmap(NULL, m->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, m->vcpu, 0);
  if (m->run == MAP_FAILED) die("mmap kvm_run: %s", strerror(errno));
  if (ioctl(m->vcpu, KVM_SET_CPUID2, m->cpuid) < 0) die("KVM_SET_CPUID2: %s", strerror(errno));
  current_run = m->run;
}

static void machine_destroy(struct machine *m) {
  current_run = NULL;
  munmap(m->run, m->run_size);
  close(m->vcpu);
  close(m->vm);
}

static void put64(uint8_t *ram, uint64_t addr, uint64_t v) { memcpy(ram + addr, &v, 8); }

/* Zero RAM and lay down the GDT, the TSS and the page tables. */
static void memory_reset(struct machine *m) {
  memset(m->ram, 0, m->ram_size);
  put64(m->ram, GDT_ADDR + 0x00, 0);
  put64(m->ram, GDT_ADDR + 0x08, 0x00af9b000000ffffull); /* code: L=1, DPL 0, type 0xb */
  put64(m->ram, GDT_ADDR + 0x10, 0x00cf93000000ffffull); /* data: D/B=1, G=1, type 0x3 */
  /* 64-bit TSS descriptor (busy, type 0xb), base TSS_ADDR, limit 0x67. */
  uint64_t lo = 0x67ull | ((uint64_t)(TSS_ADDR & 0xffffff) << 16) | (0x8bull << 40) |
                ((uint64_t)(TSS_ADDR >> 24) << 56);
  put64(m->ram, GDT_ADDR + 0x18, lo);
  put64(m->ram, GDT_ADDR + 0x20, 0);
  put64(m->ram, GDT_ADDR + 0x28, 0x00affb000000ffffull); /* user code: L=1, DPL 3 */
  put64(m->ram, GDT_ADDR + 0x30, 0x00cff3000000ffffull); /* user data: DPL 3 */
  put64(m->ram, TSS_ADDR + 4, KSTACK_TOP);                /* TSS.RSP0 */
  put64(m->ram, PML4_ADDR, PDPT_ADDR | PTE_P | PTE_RW | PTE_US);
  put64(m->ram, PDPT_ADDR, PD_ADDR | PTE_P | PTE_RW | PTE_US);
  for (uint64_t i = 0; i < 512; i++)
    put64(m->ram, PD_ADDR + i * 8, (i << 21) | PTE_P | PTE_RW | PTE_US | PTE_PS);
  if (trap_exceptions) {
    for (uint64_t v = 0; v < 256; v++) {
      uint64_t handler = STUB_ADDR + v * 4;
      m->ram[handler] = 0xf4; /* hlt */
      /* 64-bit interrupt gate: offset, selector 0x08, IST 0, type 0xe, P=1, DPL 0. */
      uint64_t lo = (handler & 0xffff) | ((uint64_t)SEL_CODE << 16) | (0x8eull << 40) |
                    ((handler >> 16 & 0xffff) << 48);
      put64(m->ram, IDT_ADDR + v * 16, lo);
      put64(m->ram, IDT_ADDR + v * 16 + 8, handler >> 32);
    }
  }
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, int code) {
  memset(s, 0, sizeof(*s));
  s->base = 0;
  s->limit = 0xffffffff;
  s->selector = sel;
  s->type = type;
  s->present = 1;
  s->dpl = 0;
  s->s = 1;
  s->g = 1;
  s->l = code ? 1 : 0;
  s->db = code ? 0 : 1;
}

/* Returns 0, or -1 with a message in `err`. */
static int cpu_reset(struct machine *m, uint64_t entry, char *err, size_t errlen) {
  struct kvm_sregs sr;
  if (ioctl(m->vcpu, KVM_GET_SREGS, &sr) < 0) {
    snprintf(err, errlen, "error KVM_GET_SREGS %s", strerror(errno));
    return -1;
  }
  set_seg(&sr.cs, user_mode ? SEL_UCODE : SEL_CODE, 0xb, 1);
  set_seg(&sr.ds, user_mode ? SEL_UDATA : SEL_DATA, 0x3, 0);
  sr.cs.dpl = sr.ds.dpl = user_mode ? 3 : 0;
  sr.es = sr.fs = sr.gs = sr.ss = sr.ds;
  memset(&sr.tr, 0, sizeof(sr.tr));
  sr.tr.base = TSS_ADDR;
  sr.tr.limit = 0x67;
  sr.tr.selector = SEL_TSS;
  sr.tr.type = 0xb;
  sr.tr.present = 1;
  memset(&sr.ldt, 0, sizeof(sr.ldt));
  sr.ldt.type = 0x2;
  sr.ldt.unusable = 1;
  sr.gdt.base = GDT_ADDR;
  sr.gdt.limit = 0x37;
  sr.idt.base = trap_exceptions ? IDT_ADDR : 0;
  /* Limit 0: any exception -> #DF -> triple fault -> KVM_EXIT_SHUTDOWN. */
  sr.idt.limit = trap_exceptions ? 256 * 16 - 1 : 0;
  sr.cr0 = CR0_VALUE;
  sr.cr2 = 0;
  sr.cr3 = PML4_ADDR;
  sr.cr4 = CR4_VALUE;
  sr.efer = EFER_VALUE;
  sr.cr8 = 0;
  memset(sr.interrupt_bitmap, 0, sizeof(sr.interrupt_bitmap));
  if (ioctl(m->vcpu, KVM_SET_SREGS, &sr) < 0) {
    snprintf(err, errlen, "error KVM_SET_SREGS %s", strerror(errno));
    return -1;
  }
  struct kvm_regs r;
  memset(&r, 0, sizeof(r));
  r.rsp = INITIAL_RSP;
  r.rdi = 0; /* vCPU index */
  r.rip = entry;
  r.rflags = 0x2;
  if (ioctl(m->vcpu, KVM_SET_REGS, &r) < 0) {
    snprintf(err, errlen, "error KVM_SET_REGS %s", strerror(errno));
    return -1;
  }
  return 0;
}

/*
 * After a userspace exit (I/O, MMIO) KVM finishes the instruction on the next
 * KVM_RUN. immediate_exit makes that KVM_RUN complete it and return at once,
 * so the registers we read afterwards are those after the instruction.
 */
static void complete_pending(struct machine *m) {
  m->run->immediate_exit = 1;
  ioctl(m->vcpu, KVM_RUN, 0);
  m->run->immediate_exit = 0;
}

/* Vectors that push an error code (SDM Vol. 3 Table 6-1). */
static int has_error_code(unsigned v) {
  return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

static void print_state(struct machine *m, unsigned exits, const char *stop) {
  struct kvm_regs r;
  char buf[256];
  if (ioctl(m->vcpu, KVM_GET_REGS, &r) < 0) memset(&r, 0, sizeof(r));
  if (trap_exceptions && !strcmp(stop, "hlt") && r.rip > STUB_ADDR && r.rip <= STUB_ADDR + 256 * 4 &&
      (r.rip - STUB_ADDR - 1) % 4 == 0 && r.rsp + 48 <= m->ram_size) {
    /* A handler stub's HLT: report the exception and the state it interrupted. */
    unsigned v = (unsigned)((r.rip - STUB_ADDR - 1) / 4);
    uint64_t frame[6];
    memcpy(frame, m->ram + r.rsp, sizeof(frame));
    int e = has_error_code(v);
    snprintf(buf, sizeof(buf), "exception vector=%u error=0x%llx", v,
             e ? (unsigned long long)frame[0] : 0ull);
    r.rip = frame[e + 0];
    r.rflags = frame[e + 2] & ~0x10000ull; /* RF is set in the image of a fault */
    r.rsp = frame[e + 3];
    stop = buf;
    /* --user: HLT at CPL 3 is #GP(0); report it as the HLT exit it stands for. */
    if (user_mode && v == 13 && frame[0] == 0 && r.rip < m->ram_size && m->ram[r.rip] == 0xf4) {
      r.rip += 1;
      stop = "hlt";
    }
  }
  const uint64_t v[18] = {r.rax, r.rcx, r.rdx, r.rbx, r.rsp, r.rbp, r.rsi, r.rdi, r.r8,
                          r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags};
  for (int i = 0; i < 18; i++) printf("%016llx ", (unsigned long long)v[i]);
  printf("%u %s\n", exits, stop);
}

static void print_error(const char *msg) {
  for (int i = 0; i < 18; i++) printf("%016llx ", 0ull);
  printf("0 error %s\n", msg);
}

static void arm_timer(unsigned ms) {
  struct itimerval t;
  memset(&t, 0, sizeof(t));
  t.it_value.tv_sec = ms / 1000;
  t.it_value.tv_usec = (ms % 1000) * 1000;
  setitimer(ITIMER_REAL, &t, NULL);
}

static void disarm_timer(void) {
  struct itimerval t;
  memset(&t, 0, sizeof(t));
  setitimer(ITIMER_REAL, &t, NULL);
}

static void hexdump(char *out, size_t outlen, const uint8_t *p, unsigned n) {
  size_t o = 0;
  out[0] = 0;
  for (unsigned i = 0; i < n && o + 3 < outlen; i++) o += (size_t)snprintf(out + o, outlen - o, "%02x", p[i]);
}

/*
 * Run one image already in RAM. Returns 1 if the VM must be re-created
 * before the next image (after a shutdown, failed entry or internal error).
 */
static int run_image(struct machine *m, uint64_t entry, unsigned max_exits, unsigned timeout_ms) {
  char stop[256];
  if (cpu_reset(m, entry, stop, sizeof(stop)) < 0) {
    print_error(stop + 6);
    return 1;
  }
  unsigned exits = 0;
  int recreate = 0;
  timed_out = 0;
  m->run->immediate_exit = 0;
  arm_timer(timeout_ms);
  for (;;) {
    if (timed_out) {
      snprintf(stop, sizeof(stop), "timeout");
      break;
    }
    int rc = ioctl(m->vcpu, KVM_RUN, 0);
    if (rc < 0) {
      if (errno == EINTR || errno == EAGAIN) continue; /* the loop head sees timed_out */
      snprintf(stop, sizeof(stop), "error KVM_RUN %s", strerror(errno));
      recreate = 1;
      break;
    }
    struct kvm_run *run = m->run;
    exits++;
    if (run->exit_reason == KVM_EXIT_HLT) {
      snprintf(stop, sizeof(stop), "hlt");
      break;
    }
    if (run->exit_reason == KVM_EXIT_IO) {
      uint8_t *data = (uint8_t *)run + run->io.data_offset;
      unsigned bytes = run->io.size * run->io.count;
      char hex[80];
      if (run->io.direction == KVM_EXIT_IO_IN) {
        memset(data, 0xff, bytes); /* nothing is attached: reads float high */
        snprintf(stop, sizeof(stop), "io port=0x%x size=%u dir=in count=%u", run->io.port,
                 run->io.size, run->io.count);
      } else {
        hexdump(hex, sizeof(hex), data, bytes < 32 ? bytes : 32);
        snprintf(stop, sizeof(stop), "io port=0x%x size=%u dir=out count=%u data=%s", run->io.port,
                 run->io.size, run->io.count, hex);
      }
      if (exits < max_exits) continue;
      complete_pending(m);
      break;
    }
    if (run->exit_reason == KVM_EXIT_MMIO) {
      char hex[40];
      if (run->mmio.is_write) {
        hexdump(hex, sizeof(hex), run->mmio.data, run->mmio.len);
        snprintf(stop, sizeof(stop), "mmio addr=0x%llx len=%u dir=write data=%s",
                 (unsigned long long)run->mmio.phys_addr, run->mmio.len, hex);
      } else {
        memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
        snprintf(stop, sizeof(stop), "mmio addr=0x%llx len=%u dir=read",
                 (unsigned long long)run->mmio.phys_addr, run->mmio.len);
      }
      if (exits < max_exits) continue;
      complete_pending(m);
      break;
    }
    if (run->exit_reason == KVM_EXIT_SHUTDOWN) {
      snprintf(stop, sizeof(stop), "shutdown");
      recreate = 1;
      break;
    }
    if (run->exit_reason == KVM_EXIT_FAIL_ENTRY) {
      snprintf(stop, sizeof(stop), "fail-entry reason=0x%llx",
               (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
      recreate = 1;
      break;
    }
    if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
      snprintf(stop, sizeof(stop), "internal-error suberror=%u", run->internal.suberror);
      recreate = 1;
      break;
    }
    if (run->exit_reason == KVM_EXIT_INTR) continue;
    snprintf(stop, sizeof(stop), "exit %u", run->exit_reason);
    recreate = 1;
    break;
  }
  disarm_timer();
  m->run->immediate_exit = 0;
  print_state(m, exits, stop);
  return recreate;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(int argc, char **argv) {
  unsigned timeout_ms = 2000;
  unsigned ram_mib = 2;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
      timeout_ms = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--ram-mib") && i + 1 < argc)
      ram_mib = (unsigned)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--trap-exceptions"))
      trap_exceptions = 1;
    else if (!strcmp(argv[i], "--user"))
      user_mode = trap_exceptions = 1;
    else if (!strcmp(argv[i], "--check")) {
      /* Just prove that KVM works: open it and create a VM. */
    } else
      die("usage: kvm-runner [--timeout-ms N] [--ram-mib N] [--trap-exceptions] [--user] [--check] < records");
  }
  if (ram_mib < 1 || ram_mib > 1024) die("--ram-mib must be 1..1024");

  struct machine m;
  memset(&m, 0, sizeof(m));
  m.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (m.kvm < 0) die("open /dev/kvm: %s", strerror(errno));
  if (ioctl(m.kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) die("unexpected KVM API version");
  int rs = ioctl(m.kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (rs <= 0) die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
  m.run_size = (size_t)rs;
  m.ram_size = (size_t)ram_mib << 20;
  m.ram = mmap(NULL, m.ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
               -1, 0);
  if (m.ram == MAP_FAILED) die("mmap ram: %s", strerror(errno));
  m.cpuid = supported_cpuid(m.kvm);

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: KVM_RUN must return EINTR */
  sigaction(SIGALRM, &sa, NULL);

  machine_create(&m);
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--check")) {
      printf("ok\n");
      return 0;
    }

  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  uint8_t *image = malloc(m.ram_size);
  if (!image) die("out of memory");
  while ((len = getline(&line, &cap, stdin)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (len == 0 || line[0] == '#') continue;
    unsigned long long origin, entry;
    unsigned max_exits;
    int off = 0;
    if (sscanf(line, "%llx %llx %u %n", &origin, &entry, &max_exits, &off) != 3) {
      print_error("bad record: want <origin-hex> <entry-hex> <max-exits> <bytes-hex>");
      fflush(stdout);
      continue;
    }
    const char *hex = line + off;
    size_t hexlen = strlen(hex);
    size_t n = hexlen / 2;
    int bad = (hexlen % 2) != 0;
    for (size_t i = 0; !bad && i < n; i++) {
      int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) bad = 1;
      else image[i] = (uint8_t)(hi << 4 | lo);
    }
    if (bad) {
      print_error("bad record: bytes must be an even number of hex digits");
      fflush(stdout);
      continue;
    }
    if (origin > m.ram_size || n > m.ram_size - origin) {
      print_error("bad record: image does not fit in RAM");
      fflush(stdout);
      continue;
    }
    if (max_exits == 0) max_exits = 1;
    memory_reset(&m);
    memcpy(m.ram + origin, image, n);
    if (run_image(&m, entry, max_exits, timeout_ms)) {
      machine_destroy(&m);
      machine_create(&m);
    }
    fflush(stdout);
  }
  free(line);
  free(image);
  machine_destroy(&m);
  free(m.cpuid);
  close(m.kvm);
  return 0;
}
