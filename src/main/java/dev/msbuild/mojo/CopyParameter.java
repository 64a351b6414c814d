package dev.msbuild.mojo;

/** One {@code <copy>} from the builder stage into the image: {@code COPY --from=builder}. */
public class CopyParameter {
  String from;
  String to;
  String mode;
  String owner;
}
