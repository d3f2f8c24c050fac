// archetype:generate refuses an existing project directory: start from a clean one.
new File(basedir, 'demo-model').deleteDir()
return true
