S This technology can also be a helpful tool to assist the law enforcers such as the police to collect evidences of crime after it occurred .
A 10 11|||ArtOrDet||||||REQUIRED|||-NONE-|||0
A 13 13|||Mec|||,|||REQUIRED|||-NONE-|||0
A 17 17|||Mec|||,|||REQUIRED|||-NONE-|||0
A 19 20|||Nn|||evidence|||REQUIRED|||-NONE-|||0
A 21 22|||Nn|||crimes|||REQUIRED|||-NONE-|||0
A 23 24|||Pref|||they|||REQUIRED|||-NONE-|||0
A 24 25|||Vt|||occur|||REQUIRED|||-NONE-|||0

S Statisticians can use these data to build up appropriate models to predict the future needs for each city so that local governments know where and when to build more infrastructures , what kind of infrastructures and what other development should be made .
A 29 30|||Nn|||infrastructure|||REQUIRED|||-NONE-|||0
A 34 35|||Nn|||infrastructure|||REQUIRED|||-NONE-|||0
A 38 39|||Nn|||developments|||REQUIRED|||-NONE-|||0

S RFID is one of the advanced technology for tracking .
A 6 7|||Nn|||technologies|||REQUIRED|||-NONE-|||0
