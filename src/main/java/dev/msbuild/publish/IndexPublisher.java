package dev.msbuild.publish;

import java.util.List;

/** Where a multi-platform image goes: a registry (an index) or a tar file (an OCI layout). */
public interface IndexPublisher {
  PublishResult publish(List<PlatformImage> images);

  /** Checks, before anything is built, what publishing will need (a registry's push access). */
  default void checkAccess() {}
}
