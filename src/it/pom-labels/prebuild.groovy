// Make the scenario a git checkout, so the image's revision label has a commit to name.
def git = { List<String> args ->
  def p = (['git', '-c', 'user.name=it', '-c', 'user.email=it@example.com'] + args).execute(null, basedir)
  p.waitForProcessOutput(System.out, System.err)
  assert p.exitValue() == 0 : "git ${args} failed"
}
git(['init', '-q'])
git(['add', '-A'])
git(['commit', '-q', '-m', 'scenario'])
return true
