// Make the scenario a git checkout of its own, so the templates and go's VCS stamping have a commit.
def git = { List<String> args ->
  def p = (['git', '-c', 'user.name=it', '-c', 'user.email=it@example.com'] + args).execute(
      ['GIT_COMMITTER_DATE=2024-05-06T07:08:09Z', 'GIT_AUTHOR_DATE=2024-05-06T07:08:09Z'], basedir)
  p.waitForProcessOutput(System.out, System.err)
  assert p.exitValue() == 0 : "git ${args} failed"
}
new File(basedir, '.gitignore').text = 'target/\n*.log\n'
git(['init', '-q'])
git(['add', '-A'])
git(['commit', '-q', '-m', 'scenario'])
return true
