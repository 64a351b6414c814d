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

/** Just enough ELF to tell which dynamic loader and shared libraries a program needs. */
final class Elf {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final int DT_NULL = 0;
  private static final int DT_NEEDED = 1;
  private static final int DT_STRTAB = 5;

  private Elf() {}

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
  private record Header(boolean is64, ByteOrder order, List<Segment> segments) {}

  /** The header and program headers, or empty for a file that is not ELF. */
  private static Optional<Header> header(RandomAccessFile in) throws IOException {
    byte[] ident = new byte[64];
    if (in.read(ident) < 52 || ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
      return Optional.empty();
    }
    boolean is64 = ident[4] == 2;
    ByteOrder order = ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer header = ByteBuffer.wrap(ident).order(order);
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
    return Optional.of(new Header(is64, order, segments));
  }

  /**
   * The program interpreter (dynamic loader) an ELF executable names, such as
   * {@code /lib64/ld-linux-x86-64.so.2} (glibc) or {@code /lib/ld-musl-x86_64.so.1} (musl).
   */
  static Optional<String> interpreter(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      Optional<Header> header = header(in);
      if (header.isEmpty()) {
        return Optional.empty();
      }
      for (Segment segment : header.get().segments()) {
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
  }

  /** The shared libraries (DT_NEEDED) an ELF file names, in order; empty for a static or non-ELF file. */
  static List<String> needed(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      Optional<Header> header = header(in);
      if (header.isEmpty()) {
        return List.of();
      }
      boolean is64 = header.get().is64();
      Optional<Segment> dynamicSegment =
          header.get().segments().stream().filter(s -> s.type() == PT_DYNAMIC).reduce((first, second) -> second);
      if (dynamicSegment.isEmpty() || dynamicSegment.get().filesz() <= 0 || dynamicSegment.get().filesz() > (1 << 20)) {
        return List.of();
      }
      byte[] dynamic = new byte[(int) dynamicSegment.get().filesz()];
      in.seek(dynamicSegment.get().offset());
      in.readFully(dynamic);
      ByteBuffer dyn = ByteBuffer.wrap(dynamic).order(header.get().order());
      int size = is64 ? 16 : 8;
      List<Long> names = new ArrayList<>();
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
        }
      }
      // DT_STRTAB is an address: the loadable segment holding it says where it is in the file.
      long strtabOffset = -1;
      for (Segment load : header.get().segments()) {
        if (load.type() == PT_LOAD && strtab >= load.vaddr() && strtab < load.vaddr() + load.filesz()) {
          strtabOffset = strtab - load.vaddr() + load.offset();
        }
      }
      if (strtabOffset < 0) {
        return List.of();
      }
      List<String> result = new ArrayList<>();
      for (long name : names) {
        in.seek(strtabOffset + name);
        StringBuilder text = new StringBuilder();
        int c;
        while ((c = in.read()) > 0 && text.length() < 256) {
          text.append((char) c);
        }
        result.add(text.toString());
      }
      return result;
    }
  }
}
