# The phone challenges move to the messaging app. Their table is renamed here (rows, ids and
# foreign keys stay); messaging 0001 takes the model over in Django's state only.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("appointments", "0006_booking_partner")]

    operations = [
        migrations.AlterModelTable(name="phonechallenge", table="messaging_phonechallenge"),
    ]
