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
# A command-line run (arguments that are not all links) lasts seconds: it spends less CPU and ends sooner with the
# quick first-tier compiler alone (1,000 small objects: 1.5 to 2.0 s instead of 2.2 to 2.8; see packaging/README.md).
# The window, which runs for hours, keeps the optimising compiler.
cli=false
for arg in "$@"; do
    case $arg in
        s3://*|tos://*|http://*|https://*) ;;
        *) cli=true; break ;;
    esac
done
if $cli; then
    options+=("-XX:TieredStopAtLevel=1")
fi
exec "$here/runtime/bin/java" "${options[@]//\$APPDIR/$app}" -cp "${classpath//\$APPDIR/$app}" "$main" "$@"
