package dev.msbuild.cache;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stage cache of this machine, with a registry behind it ({@code <cache><registry>}): a key
 * this machine lacks is looked for in the registry and, when found, unpacked into the local cache
 * before it is used; the entries a build made or used are exported after it ({@link #export}).
 */
public final class RegistryStageCache implements StageCache {
  private final StageCache local;
  private final CacheRegistry registry;
  /** Keys this build made or found on this machine: what {@link #export} offers the registry. */
  private final Set<String> used = ConcurrentHashMap.newKeySet();

  public RegistryStageCache(StageCache local, CacheRegistry registry) {
    this.local = local;
    this.registry = registry;
  }

  /** Thrown by the filler when the registry has no entry: nothing is put in the local cache. */
  private static final class NotInRegistry extends IOException {
    NotInRegistry() {
      super("not in the registry cache");
    }
  }

  @Override
  public Optional<Entry> find(String key) {
    Optional<Entry> here = local.find(key);
    if (here.isPresent()) {
      used.add(key);
      return here;
    }
    if (!registry.usable()) {
      return Optional.empty();
    }
    try {
      return Optional.of(local.put(key, dir -> {
        if (!registry.fetchEntry(key, dir)) {
          throw new NotInRegistry();
        }
      }));
    } catch (NotInRegistry e) {
      return Optional.empty();
    } catch (IOException e) {
      registry.log().warn("Registry cache: the entry " + key + " could not be kept on this machine (" + e.getMessage()
          + "); building it instead");
      return Optional.empty();
    }
  }

  @Override
  public boolean shared() {
    return registry.usable();
  }

  @Override
  public Entry put(String key, Filler filler) throws IOException {
    Entry entry = local.put(key, filler);
    used.add(key);
    return entry;
  }

  /** Sends the registry every entry this build made or used that it does not have yet (read mode: none). */
  public void export() {
    if (!registry.writable()) {
      return;
    }
    for (String key : used.stream().sorted().toList()) {
      Optional<Entry> entry = local.find(key);
      if (entry.isPresent()) {
        registry.exportEntry(key, entry.get().directory());
      }
    }
  }
}
