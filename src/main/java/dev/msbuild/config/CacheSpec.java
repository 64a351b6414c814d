package dev.msbuild.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The registry repository that backs the stage cache and Go's caches, shared by every runner that
 * builds the project ({@code <cache>}).
 *
 * @param repository where the entries are kept (its tag is not used: each entry's key is its tag);
 *     empty: the cache is this machine's alone
 * @param mode whether entries are read, read and written, or neither
 * @param auth how the repository's registry is logged in to, as for {@code <to>}
 * @param maxBytes the size past which a Go cache in the registry is rewritten with its most
 *     recently used files only
 */
public record CacheSpec(Optional<ImageName> repository, Mode mode, RegistryAuth auth, long maxBytes) {
  /** Two GiB of Go cache per key: several real services' build caches, not a registry's worth. */
  public static final long DEFAULT_MAX_BYTES = 2L << 30;

  public static final CacheSpec NONE =
      new CacheSpec(Optional.empty(), Mode.OFF, RegistryAuth.none(Setting.CACHE_AUTH), DEFAULT_MAX_BYTES);

  /** {@code <cache><mode>}. */
  public enum Mode {
    /** Imports before a build and exports after it: a release pipeline's runners. */
    READ_WRITE("readwrite"),
    /** Imports only: pull-request builds, which must not write what release builds trust. */
    READ("read"),
    /** The registry cache is not used at all. */
    OFF("off");

    private final String text;

    Mode(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public static Mode parse(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      for (Mode mode : values()) {
        if (mode.text.equals(v) || (mode == READ_WRITE && v.equals("read-write"))) {
          return mode;
        }
      }
      throw new MsbuildException(
          "'" + value.trim() + "' is not a cache mode.",
          Setting.CACHE_MODE,
          "set " + Setting.CACHE_MODE + " to readwrite (import and export, the default), read (import only, for "
              + "pull requests) or off.");
    }
  }

  public CacheSpec {
    if (maxBytes <= 0) {
      throw new MsbuildException("The cache bound " + maxBytes + " is not a positive number of bytes.", Setting.CACHE_MAX_BYTES,
          "give " + Setting.CACHE_MAX_BYTES + " in bytes, for example 2147483648.");
    }
  }

  /** The repository as users name it: {@code registry/repository}. */
  public String where() {
    return repository.map(r -> r.registry() + "/" + r.repository()).orElse("");
  }

  /** Whether entries are imported from the registry. */
  public boolean reads() {
    return repository.isPresent() && mode != Mode.OFF;
  }

  /** Whether entries are exported to the registry after a build. */
  public boolean writes() {
    return repository.isPresent() && mode == Mode.READ_WRITE;
  }
}
