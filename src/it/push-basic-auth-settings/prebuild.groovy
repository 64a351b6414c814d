// The server id is the registry host as the image reference names it: 127.0.0.1:<port>.
// The password is the test bed's 's3cret-pw', encrypted with settings-security.xml's master password.
new File(basedir, 'settings.xml').text = """<settings>
  <servers>
    <server>
      <id>${authRegistry}</id>
      <username>msbuild</username>
      <password>{8ZwOWc3rms8HlZI0zhFAdLc+we7VsbgRpGO0w/EaN7s=}</password>
    </server>
  </servers>
</settings>
"""
return true
