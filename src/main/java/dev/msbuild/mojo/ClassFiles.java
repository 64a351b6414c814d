package dev.msbuild.mojo;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the class file format (JVMS chapter 4) to tell whether a class declares
 * {@code public static void main(String[])}: the constant pool's UTF-8 entries and the method
 * table's flags, names and descriptors. No bytecode library is needed for that.
 */
final class ClassFiles {
  private static final int MAGIC = 0xCAFEBABE;
  private static final int ACC_PUBLIC = 0x0001;
  private static final int ACC_STATIC = 0x0008;
  private static final String MAIN_DESCRIPTOR = "([Ljava/lang/String;)V";

  private ClassFiles() {}

  /** Whether the class file declares {@code public static void main(String[])}; false for anything that does not parse. */
  static boolean hasMain(byte[] classFile) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      if (in.readInt() != MAGIC) {
        return false;
      }
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> {
            byte[] bytes = new byte[in.readUnsignedShort()];
            in.readFully(bytes);
            // Modified UTF-8 differs from UTF-8 only for NUL and supplementary characters, never in "main".
            utf8[i] = new String(bytes, StandardCharsets.UTF_8);
          }
          case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
          case 15 -> in.skipNBytes(3); // MethodHandle
          case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
          case 5, 6 -> { // Long, Double take two slots
            in.skipNBytes(8);
            i++;
          }
          default -> {
            return false;
          }
        }
      }
      in.skipNBytes(6); // access flags, this class, super class
      in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
      int fields = in.readUnsignedShort();
      for (int i = 0; i < fields; i++) {
        in.skipNBytes(6);
        skipAttributes(in);
      }
      int methods = in.readUnsignedShort();
      for (int i = 0; i < methods; i++) {
        int flags = in.readUnsignedShort();
        String name = entry(utf8, in.readUnsignedShort());
        String descriptor = entry(utf8, in.readUnsignedShort());
        skipAttributes(in);
        if ((flags & (ACC_PUBLIC | ACC_STATIC)) == (ACC_PUBLIC | ACC_STATIC) && "main".equals(name)
            && MAIN_DESCRIPTOR.equals(descriptor)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String entry(String[] utf8, int index) {
    return index > 0 && index < utf8.length ? utf8[index] : null;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int j = 0; j < attributes; j++) {
      in.skipNBytes(2);
      in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
    }
  }
}
