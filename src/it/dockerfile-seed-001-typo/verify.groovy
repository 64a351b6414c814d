// Seed 001 as written copies --from=buildado, a stage that does not exist (it is buildando):
// Docker fails on it, and so does this build, naming the line, the setting and the stages.
def log = new File(basedir, 'build.log').text
assert log.contains('Dockerfile line 14: COPY --from=buildado: no stage or image of that name (stages: buildando)')
assert log.contains('<dockerfile>')
assert log.contains('-Dmsbuild.dockerfile')
assert !log.contains('Exception:')
// It failed before any stage ran.
assert !log.contains('[buildando 1/4]')
assert !new File(basedir, 'target/msbuild/image.digest').exists()
