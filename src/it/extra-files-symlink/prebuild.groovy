import java.nio.file.Files
import java.nio.file.Path

// Symlinks are made here, in the cloned scenario, so no copy step along the way can turn them
// into files; the image must keep them as links.
def dir = new File(basedir, 'src/main/image/etc/app').toPath()
def link = dir.resolve('current')
Files.deleteIfExists(link)
Files.createSymbolicLink(link, Path.of('config-v1.yaml'))
def abs = new File(basedir, 'src/main/image/etc/app/absolute').toPath()
Files.deleteIfExists(abs)
Files.createSymbolicLink(abs, Path.of('/etc/app/config-v1.yaml'))
return true
