package dev.msbuild.stage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Just enough ELF to tell what a program is (its machine and type) and which dynamic loader and
 * shared libraries it needs.
 */
final class Elf {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final int DT_NULL = 0;
  private static final int DT_NEEDED = 1;
  private static final int DT_STRTAB = 5;
  private static final int DT_RPATH = 15;
  private static final int DT_RUNPATH = 29;

  static final int ET_REL = 1;
  static final int ET_EXEC = 2;
  static final int ET_DYN = 3;

  private Elf() {}

  /**
   * What an ELF file says about itself.
   *
   * @param is64 ELFCLASS64
   * @param bigEndian ELFDATA2MSB
   * @param type e_type: {@link #ET_EXEC}, {@link #ET_DYN} (a position-independent program or a shared library), ...
   * @param machine e_machine (62 is x86-64, 183 AArch64)
   * @param interpreter the PT_INTERP loader; empty for a static program
   * @param needed the DT_NEEDED libraries, in order
   * @param runPath the DT_RUNPATH (or else DT_RPATH) directories, as written
   */
  record Info(boolean is64, boolean bigEndian, int type, int machine, Optional<String> interpreter, List<String> needed,
      List<String> runPath) {

    /** The architecture in Go's and OCI's terms ({@code amd64}, {@code arm64}), if it is one of theirs. */
    Optional<String> architecture() {
      String arch = switch (machine) {
        case 62 -> is64 ? "amd64" : "amd64p32";
        case 3 -> "386";
        case 183 -> "arm64";
        case 40 -> "arm";
        case 21 -> bigEndian ? "ppc64" : "ppc64le";
        case 20 -> "ppc";
        case 22 -> is64 ? "s390x" : "s390";
        case 243 -> is64 ? "riscv64" : "riscv";
        case 8 -> (is64 ? "mips64" : "mips") + (bigEndian ? "" : "le");
        case 258 -> "loong64";
        case 43 -> "sparc64";
        default -> null;
      };
      return Optional.ofNullable(arch);
    }

    /** The machine as people name it: "x86-64", "AArch64". */
    String machineName() {
      return switch (machine) {
        case 62 -> is64 ? "x86-64" : "x32";
        case 3 -> "Intel 80386";
        case 183 -> "AArch64";
        case 40 -> "ARM";
        case 21 -> "PowerPC64" + (bigEndian ? "" : " little-endian");
        case 20 -> "PowerPC";
        case 22 -> is64 ? "IBM S/390x" : "IBM S/390";
        case 243 -> is64 ? "RISC-V 64-bit" : "RISC-V 32-bit";
        case 8 -> "MIPS" + (is64 ? "64" : "") + (bigEndian ? "" : " little-endian");
        case 258 -> "LoongArch64";
        case 43 -> "SPARC V9";
        default -> "machine " + machine;
      };
    }

    /** "executable", "relocatable object", ... */
    String typeName() {
      return switch (type) {
        case ET_REL -> "relocatable object (.o)";
        case ET_EXEC, ET_DYN -> "executable";
        case 4 -> "core dump";
        default -> "file of type " + type;
      };
    }

    boolean isProgram() {
      return type == ET_EXEC || type == ET_DYN;
    }

    boolean isStatic() {
      return interpreter.isEmpty() && needed.isEmpty();
    }
  }

  /** True for an ELF executable with no program interpreter (statically linked). */
  static boolean isStatic(Path file) throws IOException {
    return isElf(file) && interpreter(file).isEmpty();
  }

  static boolean isElf(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] magic = new byte[4];
      return in.read(magic) == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    }
  }

  /** One program header: its type, where its bytes are in the file, and where they load. */
  private record Segment(int type, long offset, long vaddr, long filesz) {}

  /** The ELF header's facts we use, and the program headers. */
  private record Header(boolean is64, ByteOrder order, int type, int machine, List<Segment> segments) {}

  /** The header and program headers, or empty for a file that is not ELF. */
  private static Optional<Header> header(RandomAccessFile in) throws IOException {
    byte[] ident = new byte[64];
    if (in.read(ident) < 52 || ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
      return Optional.empty();
    }
    boolean is64 = ident[4] == 2;
    ByteOrder order = ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer header = ByteBuffer.wrap(ident).order(order);
    int type = Short.toUnsignedInt(header.getShort(0x10));
    int machine = Short.toUnsignedInt(header.getShort(0x12));
    long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1c));
    int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2a));
    int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2c));
    List<Segment> segments = new ArrayList<>();
    byte[] entry = new byte[is64 ? 56 : 32];
    for (int i = 0; i < phnum; i++) {
      in.seek(phoff + (long) i * phentsize);
      in.readFully(entry);
      ByteBuffer ph = ByteBuffer.wrap(entry).order(order);
      segments.add(new Segment(
          ph.getInt(0),
          is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4)),
          is64 ? ph.getLong(16) : Integer.toUnsignedLong(ph.getInt(8)),
          is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16))));
    }
    return Optional.of(new Header(is64, order, type, machine, segments));
  }

  /** What an ELF file says about itself, or empty for a file that is not ELF. */
  static Optional<Info> read(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      Optional<Header> header = header(in);
      if (header.isEmpty()) {
        return Optional.empty();
      }
      Header h = header.get();
      Dynamic dynamic = dynamic(in, h);
      return Optional.of(new Info(h.is64(), h.order() == ByteOrder.BIG_ENDIAN, h.type(), h.machine(), interpreter(in, h),
          dynamic.needed(), dynamic.runPath()));
    }
  }

  /**
   * The program interpreter (dynamic loader) an ELF executable names, such as
   * {@code /lib64/ld-linux-x86-64.so.2} (glibc) or {@code /lib/ld-musl-x86_64.so.1} (musl).
   */
  static Optional<String> interpreter(Path file) throws IOException {
    return read(file).flatMap(Info::interpreter);
  }

  /** The shared libraries (DT_NEEDED) an ELF file names, in order; empty for a static or non-ELF file. */
  static List<String> needed(Path file) throws IOException {
    return read(file).map(Info::needed).orElse(List.of());
  }

  private static Optional<String> interpreter(RandomAccessFile in, Header header) throws IOException {
    for (Segment segment : header.segments()) {
      if (segment.type() == PT_INTERP) {
        if (segment.filesz() <= 0 || segment.filesz() > 4096) {
          return Optional.of("");
        }
        byte[] name = new byte[(int) segment.filesz()];
        in.seek(segment.offset());
        in.readFully(name);
        int end = 0;
        while (end < name.length && name[end] != 0) {
          end++;
        }
        return Optional.of(new String(name, 0, end, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** What the dynamic section names: the libraries, and where the program asks for them to be looked for. */
  private record Dynamic(List<String> needed, List<String> runPath) {
    static final Dynamic NONE = new Dynamic(List.of(), List.of());
  }

  private static Dynamic dynamic(RandomAccessFile in, Header header) throws IOException {
    boolean is64 = header.is64();
    Optional<Segment> dynamicSegment =
        header.segments().stream().filter(s -> s.type() == PT_DYNAMIC).reduce((first, second) -> second);
    if (dynamicSegment.isEmpty() || dynamicSegment.get().filesz() <= 0 || dynamicSegment.get().filesz() > (1 << 20)) {
      return Dynamic.NONE;
    }
    byte[] dynamic = new byte[(int) dynamicSegment.get().filesz()];
    in.seek(dynamicSegment.get().offset());
    in.readFully(dynamic);
    ByteBuffer dyn = ByteBuffer.wrap(dynamic).order(header.order());
    int size = is64 ? 16 : 8;
    List<Long> names = new ArrayList<>();
    long runPath = -1;
    long rpath = -1;
    long strtab = -1;
    for (int at = 0; at + size <= dynamic.length; at += size) {
      long tag = is64 ? dyn.getLong(at) : dyn.getInt(at);
      long value = is64 ? dyn.getLong(at + 8) : Integer.toUnsignedLong(dyn.getInt(at + 4));
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        names.add(value);
      } else if (tag == DT_STRTAB) {
        strtab = value;
      } else if (tag == DT_RUNPATH) {
        runPath = value;
      } else if (tag == DT_RPATH) {
        rpath = value;
      }
    }
    // DT_STRTAB is an address: the loadable segment holding it says where it is in the file.
    long strtabOffset = -1;
    for (Segment load : header.segments()) {
      if (load.type() == PT_LOAD && strtab >= load.vaddr() && strtab < load.vaddr() + load.filesz()) {
        strtabOffset = strtab - load.vaddr() + load.offset();
      }
    }
    if (strtabOffset < 0) {
      return Dynamic.NONE;
    }
    List<String> needed = new ArrayList<>();
    for (long name : names) {
      needed.add(string(in, strtabOffset + name, 256));
    }
    // The loaders ignore DT_RPATH when there is a DT_RUNPATH.
    long path = runPath >= 0 ? runPath : rpath;
    List<String> dirs = path < 0 ? List.of()
        : java.util.Arrays.stream(string(in, strtabOffset + path, 4096).split(":")).filter(d -> !d.isEmpty()).toList();
    return new Dynamic(needed, dirs);
  }

  private static String string(RandomAccessFile in, long offset, int max) throws IOException {
    in.seek(offset);
    StringBuilder text = new StringBuilder();
    int c;
    while ((c = in.read()) > 0 && text.length() < max) {
      text.append((char) c);
    }
    return text.toString();
  }
}
