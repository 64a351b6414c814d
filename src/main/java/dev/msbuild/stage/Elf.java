package dev.msbuild.stage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Just enough ELF to tell whether a program needs a dynamic loader. */
final class Elf {
  private static final int PT_INTERP = 3;

  private Elf() {}

  /** True for an ELF executable with no program interpreter (statically linked). */
  static boolean isStatic(Path file) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      byte[] ident = new byte[64];
      if (in.read(ident) < 52 || ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
        return false;
      }
      boolean is64 = ident[4] == 2;
      ByteBuffer header = ByteBuffer.wrap(ident).order(ident[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1c));
      int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2a));
      int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2c));
      byte[] entry = new byte[4];
      for (int i = 0; i < phnum; i++) {
        in.seek(phoff + (long) i * phentsize);
        in.readFully(entry);
        int type = ByteBuffer.wrap(entry).order(header.order()).getInt();
        if (type == PT_INTERP) {
          return false;
        }
      }
      return true;
    }
  }
}
