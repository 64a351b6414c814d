def log = new File(basedir, 'build.log').text
assert log.contains('Skipping msbuild:image: <skip> (-Dmsbuild.skip) is true.')
assert !new File(basedir, 'target/msbuild').exists()
