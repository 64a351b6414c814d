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

/** Just enough ELF to tell whether a program needs a dynamic loader. */
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

  /**
   * The program interpreter (dynamic loader) an ELF executable names, such as
   * {@code /lib64/ld-linux-x86-64.so.2} (glibc) or {@code /lib/ld-musl-x86_64.so.1} (musl).
   */
  static Optional<String> interpreter(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] ident = new byte[64];
      if (in.read(ident) < 52 || ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
        return Optional.empty();
      }
      boolean is64 = ident[4] == 2;
      ByteBuffer header = ByteBuffer.wrap(ident).order(ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1c));
      int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2a));
      int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2c));
      byte[] entry = new byte[is64 ? 56 : 32];
      for (int i = 0; i < phnum; i++) {
        in.seek(phoff + (long) i * phentsize);
        in.readFully(entry);
        ByteBuffer ph = ByteBuffer.wrap(entry).order(header.order());
        if (ph.getInt(0) == PT_INTERP) {
          long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
          long size = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
          if (size <= 0 || size > 4096) {
            return Optional.of("");
          }
          byte[] name = new byte[(int) size];
          in.seek(offset);
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
      byte[] ident = new byte[64];
      if (in.read(ident) < 52 || ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
        return List.of();
      }
      boolean is64 = ident[4] == 2;
      ByteOrder order = ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      ByteBuffer header = ByteBuffer.wrap(ident).order(order);
      long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1c));
      int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2a));
      int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2c));
      List<long[]> loads = new ArrayList<>(); // vaddr, offset, filesz
      long dynOffset = -1;
      long dynSize = 0;
      byte[] entry = new byte[is64 ? 56 : 32];
      for (int i = 0; i < phnum; i++) {
        in.seek(phoff + (long) i * phentsize);
        in.readFully(entry);
        ByteBuffer ph = ByteBuffer.wrap(entry).order(order);
        int type = ph.getInt(0);
        long offset = is64 ? ph.getLong(8) : Integer.toUnsignedLong(ph.getInt(4));
        long vaddr = is64 ? ph.getLong(16) : Integer.toUnsignedLong(ph.getInt(8));
        long filesz = is64 ? ph.getLong(32) : Integer.toUnsignedLong(ph.getInt(16));
        if (type == PT_LOAD) {
          loads.add(new long[] {vaddr, offset, filesz});
        } else if (type == PT_DYNAMIC) {
          dynOffset = offset;
          dynSize = filesz;
        }
      }
      if (dynOffset < 0 || dynSize <= 0 || dynSize > (1 << 20)) {
        return List.of();
      }
      byte[] dynamic = new byte[(int) dynSize];
      in.seek(dynOffset);
      in.readFully(dynamic);
      ByteBuffer dyn = ByteBuffer.wrap(dynamic).order(order);
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
      long strtabOffset = -1;
      for (long[] load : loads) {
        if (strtab >= load[0] && strtab < load[0] + load[2]) {
          strtabOffset = strtab - load[0] + load[1];
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
