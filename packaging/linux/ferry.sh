#!/bin/bash
# The ferry command (/usr/bin/ferry in the .deb): runs the bundled Java with the options of the app's launcher
# configuration (lib/app/ferry.cfg), as the native launcher bin/ferry does, minus the detour that launcher makes on
# every start (it asks rpm and dpkg which package owns it: a tenth of a second and more).
here=$(dirname "$(readlink -f "$0")")
app=$here/app
options=()
while IFS= read -r line; do
    case $line in
        java-options=*) options+=("${line#java-options=}") ;;
        app.classpath=*) classpath=${line#app.classpath=} ;;
        app.mainclass=*) main=${line#app.mainclass=} ;;
    esac
done < "$app/ferry.cfg"
exec "$here/runtime/bin/java" "${options[@]//\$APPDIR/$app}" -cp "${classpath//\$APPDIR/$app}" "$main" "$@"
