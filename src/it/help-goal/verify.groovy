// The help text is wrapped to the terminal's width: compare with whitespace folded.
def log = new File(basedir, 'build.log').text.replaceAll(/\s+/, ' ')
assert log.contains('msbuild:image')
assert log.contains('pushes it to the registry of <to><image>, then reads every tag back')
// Nested settings, with their -D forms, are in the help text.
assert log.contains('mainPackage: the package to build')
assert log.contains('-Dmsbuild.builder.mainPackage')
assert log.contains('credHelper: a Docker credential helper')
assert log.contains('labelsFromPom')
return true
